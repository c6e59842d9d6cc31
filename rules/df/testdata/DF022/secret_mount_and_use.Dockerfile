# syntax=docker/dockerfile:1
FROM node:22-slim
ARG SECRET_ID=npmrc
# Used in a secret mount, but also elsewhere: the value reaches the history.
# want +1 DF022 "ARG NPM_TOKEN looks like a secret"
ARG NPM_TOKEN
RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /tmp/x && rm /tmp/x
CMD ["node", "server.js"]
