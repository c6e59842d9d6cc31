# Build tools in a build stage are fine.
FROM node:22 AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 git
COPY package*.json ./
RUN npm ci --omit=dev

FROM node:22-alpine
WORKDIR /app
COPY package*.json ./
RUN apk add --no-cache --virtual .gyp python3 make g++ \
 && npm ci --omit=dev \
 && apk del .gyp
RUN apk add --no-cache -t build-deps alpine-sdk
RUN apk del build-deps
RUN apt-get update && apt-get install -y git gcc && npm ci && apt-get purge -y --auto-remove git gcc
RUN npm i -g node-gyp && npm rebuild && npm uninstall -g node-gyp
RUN apk add --no-cache tini curl
CMD ["node", "server.js"]
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends g++ make python3; \
	npm ci --omit=dev; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
	rm -rf /var/lib/apt/lists/*
