/** The values infra's global setup provides (declared there too; repeated so this package typechecks alone). */
declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
  }
}
export {};
