import { en } from "zod/locales";
import { config } from "zod/mini";

// zod/mini carries a fraction of classic zod's weight in a bundle (the open Lambda's budget is
// 1 MB) but ships no default locale; English gives exactly the messages classic zod gives.
// Import this module as a namespace (`import * as z`) so esbuild keeps only what is used.
config(en());

export * from "zod/mini";
