/** Vite inlines `?inline` imports as data URLs in the bundle: no file to ship or find at run time. */
declare module '*.png?inline' {
  const dataUrl: string;
  export default dataUrl;
}
