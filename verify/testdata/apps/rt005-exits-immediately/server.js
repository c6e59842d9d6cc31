'use strict';
// Bad sample for RT005: exits the moment SIGTERM arrives.
const http = require('http');

const port = Number(process.env.PORT || 3000);
let draining = false;

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

// The shutdown handler exits at once: requests in flight are cut off.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
