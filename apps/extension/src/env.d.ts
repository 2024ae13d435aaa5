declare module '*.css?inline' {
  const css: string;
  export default css;
}

interface ImportMetaEnv {
  /** The default API address, set at build time. */
  readonly WXT_API_URL?: string;
}
