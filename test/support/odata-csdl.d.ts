/** The OASIS OData TC's CSDL XML → CSDL JSON reader (CommonJS, no types of its own). */
declare module 'odata-csdl' {
  export function xml2json(
    xml: string,
    options?: { lineNumbers?: boolean; annotations?: boolean; strict?: boolean; messages?: unknown[] },
  ): Record<string, Record<string, Record<string, unknown>>>;
}
