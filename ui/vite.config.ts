import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// Built into `ui/dist` and loaded by the Tauri webview from the app's own origin.
// The app's CSP is `default-src 'self'`: nothing here may pull in remote fonts,
// CDNs or inline scripts. Component CSS is extracted into a stylesheet at build.
export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs, so the bundle works from whatever origin Tauri serves it.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The brand mark is the app's icon, whose one source lives in ../icons.
    fs: { allow: [".", "../icons"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Never inline an asset as a data: URL: the CSP allows images from 'self' only.
    assetsInlineLimit: 0,
  },
});
