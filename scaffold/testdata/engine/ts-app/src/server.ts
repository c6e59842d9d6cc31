// A TypeScript service for the init engine test: built with tsc, /healthz,
// a slow endpoint, and a graceful shutdown on SIGTERM and SIGINT.
import * as http from 'node:http';

const PORT = Number(process.env.PORT ?? 3000);
let draining = false;

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(draining ? 'draining\n' : 'ok\n');
    return;
  }
  if (req.url === '/slow') {
    setTimeout(() => res.end('done\n'), 4000);
    return;
  }
  res.writeHead(404);
  res.end();
});

server.listen(PORT, () => console.log(`listening on :${PORT}`));

function shutdown(signal: string): void {
  if (draining) return;
  draining = true;
  console.log(`${signal}: draining`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
