/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API when the dashboard is not served on the API's own origin (see README). */
  readonly VITE_API_URL?: string;
}
