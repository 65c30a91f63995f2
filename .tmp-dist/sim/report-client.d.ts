/**
 * The browser script of the HTML report (plain ES2017, no template literals so it can live in
 * this string). It reads the JSON in #report-data and draws every chart with Chart.js, which
 * the page inlines before it. When done it sets `data-rendered` on <body> (tests wait on it).
 */
export declare const REPORT_CLIENT_JS: string;
