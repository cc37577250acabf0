// Two pages, both served by the API from dist/ (never a CDN): the explorer (index.html) and
// the product's GraphiQL (graphiql.html, which GET /graphql answers with).
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/explorer/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        explorer: resolve(import.meta.dirname, "index.html"),
        graphiql: resolve(import.meta.dirname, "graphiql.html"),
      },
    },
  },
});
