'use strict';
// Bad sample for RT012: after SIGTERM it keeps answering everything
// normally for 2 s before it starts to drain.
const http = require('http');

const port = Number(process.env.PORT || 3000);
let draining = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (req.url === '/slow') {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('done\n');
    }, 4000);
    return;
  }
  res.writeHead(404);
  res.end();
});

server.listen(port, () => console.log(`listening on :${port}`));

function shutdown(signal) {
  if (draining) return;
  draining = true;
  console.log(`${signal}: waiting 2 s before closing`);
  // Keeps serving normally (health still 200) for 2 s, then closes.
  setTimeout(() => server.close(() => {
    console.log('all requests done, exiting');
    process.exit(0);
  }), 2000);
  setTimeout(() => server.closeIdleConnections(), 2000);
  setTimeout(() => {
    console.error('drain timed out');
    process.exit(1);
  }, 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
