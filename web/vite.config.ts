import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The C++ server (`coop serve`) listens on 8080 by default; in development Vite serves the
// front end and forwards the API, the WebSocket and the metrics to it.
const backend = process.env.COOP_BACKEND ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/metrics": { target: backend, changeOrigin: false },
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true, changeOrigin: false }
    }
  }
});
