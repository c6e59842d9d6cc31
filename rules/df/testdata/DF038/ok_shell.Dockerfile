# Near misses: a shell expands the variables; node -e source with a
# template literal; shell form; an sh -c ENTRYPOINT taking the CMD script.
FROM node:22-slim AS a
CMD ["sh", "-c", "exec node server.js --port \"$PORT\""]

FROM node:22-slim AS b
CMD ["node", "-e", "require('http').createServer((q, s) => s.end(`${process.pid}`)).listen(3000)"]

FROM node:22-slim AS c
CMD node server.js --port $PORT

FROM node:22-slim
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["exec node server.js --port $PORT"]
