FROM node:22-alpine AS build
# Build stages are thrown away: their cache is never shipped.
RUN apk add python3 make g++

FROM node:22-alpine
# want +1 DF028 "`apk add` of tini without `--no-cache`"
RUN apk add tini
# want +2 DF028 "`apk update` stores the package index"
# want +2 DF028 "`apk add` of curl and ca-certificates"
RUN apk update \
    && apk add -U \
        curl ca-certificates
# A cache mount elsewhere does not help.
# want +1 DF028 "`apk add` of dumb-init"
RUN --mount=type=cache,target=/root/.npm apk --update add dumb-init && npm ci
# want +1 DF028 "`apk add` of git"
RUN ["apk", "add", "git"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "server.js"]
