import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { markStartup } from "./lib/startupMarks";

// Every module above has run: the bundle is loaded and evaluated.
markStartup("script");

const target = document.getElementById("app");
if (!target) throw new Error("index.html must contain an element with id=\"app\"");

const app = mount(App, { target });
markStartup("mounted");

export default app;
