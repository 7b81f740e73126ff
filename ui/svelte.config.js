// Read by the Vite plugin and svelte-check alike.
export default {
  compilerOptions: {
    // Every component uses runes; this rejects legacy `export let` / `$:` early.
    runes: true,
  },
};
