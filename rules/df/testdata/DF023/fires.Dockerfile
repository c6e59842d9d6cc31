# syntax=docker/dockerfile:1
FROM node:22-slim AS deps
ARG NPM_TOKEN
WORKDIR /app
COPY package*.json ./
# want +1 DF023 "`echo … > .npmrc` writes a registry token from build argument NPM_TOKEN into /app/.npmrc"
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && \
    npm ci && \
    rm -f .npmrc
# want +1 DF023 "`cat … > /root/.npmrc` writes a registry token"
RUN cat <<EOF > /root/.npmrc
//npm.pkg.github.com/:_authToken=${NPM_TOKEN}
@acme:registry=https://npm.pkg.github.com
EOF
# want +1 DF023 "`npm config set //registry.npmjs.org/:_authToken …` writes a registry token from build argument NPM_TOKEN into [$]HOME/.npmrc"
RUN npm config set //registry.npmjs.org/:_authToken $NPM_TOKEN && npm ci

FROM node:22-slim
WORKDIR /app
# A literal token is in the history too, whatever happens to the file.
# want +2 DF023 "`yarn config set npmAuthToken …` writes a registry token into /app/.yarnrc.yml"
RUN --mount=type=secret,id=npm \
    yarn config set npmAuthToken abc123 && yarn install --immutable && rm .yarnrc.yml
# want +1 DF023 "`printf … >> ~/.npmrc` writes a registry token into [$]HOME/.npmrc"
RUN printf '//registry.npmjs.org/:_authToken=%s\n' "$(cat /run/secrets/npm)" >> ~/.npmrc
# A tmpfs elsewhere does not cover the file.
# want +1 DF023 "`tee .npmrc` writes"
RUN --mount=type=tmpfs,target=/tmp echo "_auth=$AUTH_B64" | tee .npmrc
# want +3 DF023 "`echo … >> /home/node/.npmrc` writes a registry token into /home/node/.npmrc"
RUN <<EOF
set -e
echo "//npm.pkg.github.com/:_authToken=$GH_PACKAGES_TOKEN" >> /home/node/.npmrc
npm ci --omit=dev
EOF
CMD ["node", "server.js"]
