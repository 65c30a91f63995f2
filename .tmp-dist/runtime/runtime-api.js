export {};
//# sourceMappingURL=runtime-api.js.map