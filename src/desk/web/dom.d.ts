// The web app runs in the browser: its files see the DOM's types (the server's files do not use them).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
