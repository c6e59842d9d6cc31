FROM node:22-slim
# want +1 DF031 "`ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini` downloads without `--checksum`"
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
# want +1 DF031 "downloads over plain HTTP"
ADD --chmod=644 http://example.com/ca.crt /usr/local/share/ca-certificates/
# want +1 DF031 "`ADD https://github.com/acme/lib.git#main`"
ADD https://github.com/acme/lib.git#main /src/lib
ENTRYPOINT ["/tini", "--"]
CMD ["node", "server.js"]
