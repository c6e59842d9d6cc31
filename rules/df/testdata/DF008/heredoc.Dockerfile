# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY package.json npm-shrinkwrap.json ./
RUN <<EOF
set -e
# want +1 DF008 "`npm install --legacy-peer-deps`"
npm install --legacy-peer-deps
EOF
# want +1 DF008 "`npm install --no-package-lock`"
RUN npm install --no-package-lock
# want +1 DF008 "`npm --no-fund install`"
RUN --mount=type=cache,target=/root/.npm npm --no-fund install
# Exec form: reported, no fix (positions are not exact).
# want +1 DF008 "`npm install`"
RUN ["npm", "install"]
CMD ["node", "server.js"]
