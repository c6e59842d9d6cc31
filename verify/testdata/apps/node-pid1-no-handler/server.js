'use strict';
// Node as PID 1 with no signal handlers: the kernel ignores SIGTERM and
// SIGINT for PID 1 when it has no handler.
const http = require('http');

const port = Number(process.env.PORT || 3000);
const draining = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(draining ? 'draining\n' : 'ok\n');
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

