FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# want +1 DF008 "`npm install` installs without enforcing the lockfile"
RUN npm install
# want +2 DF008 "`npm i --no-audit --omit=dev` installs without enforcing"
RUN apt-get update && \
    npm i --no-audit \
      --omit=dev && npm cache clean --force
# want +1 DF008 "`npm --loglevel=warn install`"
RUN echo start; npm --loglevel=warn \
# a comment Docker drops

      install ; echo done

FROM node:22-slim AS yarn
WORKDIR /app
COPY package.json yarn.lock ./
# want +1 DF008 "`yarn install` without `--frozen-lockfile`/`--immutable`"
RUN yarn install
# want +1 DF008 "`yarn --production` without"
RUN yarn --production

FROM node:22-slim AS pnpm
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
# want +1 DF008 "`pnpm install --prod` without `--frozen-lockfile`"
RUN corepack enable && pnpm install --prod

FROM node:22-slim
WORKDIR /app
# No lockfile is copied by name: reported, but `npm ci` would fail, so no fix.
COPY package*.json ./
# want +1 DF008 "`npm install` installs"
RUN npm install
COPY . .
CMD ["node", "server.js"]

# The lockfile is elsewhere than where the install runs: reported, no fix.
FROM node:22-slim AS elsewhere
WORKDIR /app
COPY package.json package-lock.json /tmp/
# want +1 DF008 "`npm install`"
RUN npm install
COPY package-lock.json ./
# want +1 DF008 "`npm install`"
RUN cd web && npm install
# want +1 DF008 "`npm install --prefix web`"
RUN npm install --prefix web
WORKDIR /app/web
# want +1 DF008 "`npm install`"
RUN npm install
COPY package-lock.json /app/web/package-lock.json
# want +1 DF008 "`npm install`"
RUN npm install
