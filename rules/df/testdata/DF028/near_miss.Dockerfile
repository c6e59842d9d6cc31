FROM node:22-alpine
RUN apk add --no-cache tini
RUN apk --no-cache add curl
RUN apk add --virtual .build-deps python3 make g++ \
    && npm ci \
    && apk del .build-deps \
    && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add git
RUN apk add jq && apk cache clean
RUN apk del curl
CMD ["node", "server.js"]
