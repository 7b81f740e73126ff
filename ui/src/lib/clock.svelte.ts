// A shared "now" for relative times ("5m"), ticking only while something on
// screen reads it, so every timestamp on screen ages together.

import { createSubscriber } from "svelte/reactivity";

const TICK_MS = 30_000;

class Clock {
  #now = new Date();

  #subscribe = createSubscriber((update) => {
    this.#now = new Date();
    const timer = setInterval(() => {
      this.#now = new Date();
      update();
    }, TICK_MS);
    return () => clearInterval(timer);
  });

  get now(): Date {
    this.#subscribe();
    return this.#now;
  }
}

export const clock = new Clock();
