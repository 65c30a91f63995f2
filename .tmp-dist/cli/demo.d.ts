/**
 * `bountybot demo`: the brief's four examples in TypeScript with real output, then a short
 * campaign spike where the engine's decisions and their reasoning are printed.
 */
import type { Command } from 'commander';
type Print = (line: string) => void;
export declare function predictorExample(print: Print, start: Date): void;
export declare function engineExample(print: Print, start: Date): void;
export declare function costExample(print: Print, start: Date): void;
export declare function collectorExample(print: Print, start: Date): void;
export declare function runDemo(print?: Print): Promise<void>;
export declare function registerDemo(program: Command): void;
export {};
