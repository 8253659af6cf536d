// A web app that needs nothing but Node's standard library (built by drydock's e2e tests).
const http = require("node:http");

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ status: "ok", app: "node-http" }));
});

server.listen(process.env.PORT || 3000);

// PID 1 ignores SIGTERM unless a handler is installed: exit cleanly on `docker stop`.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
