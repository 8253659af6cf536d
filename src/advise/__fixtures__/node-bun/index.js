import { Hono } from "hono";
export default { port: 3000, fetch: new Hono().fetch };
