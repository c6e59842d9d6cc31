FROM cgr.dev/chainguard/node:latest-dev
# want +1 DF011 "the last USER of the final stage is `root`"
USER root
RUN apk add --no-cache tini
COPY . /app
ENTRYPOINT ["tini", "--", "node", "/app/server.js"]
