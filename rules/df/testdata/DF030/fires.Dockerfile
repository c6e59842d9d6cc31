FROM node:22-slim AS build
WORKDIR /app
# want +1 DF030 "`ADD package.json package-lock.json` copies local files"
ADD package.json package-lock.json ./
RUN npm ci
# want +1 DF030 "`ADD [.]` copies local files"
  add --chown=node:node . .
# want +1 DF030 "`ADD dist.zip`"
Add dist.zip /srv/
# ADD-only flag: reported, not rewritten.
# want +1 DF030 "`ADD vendor`"
ADD --unpack=false vendor /app/vendor
# want +1 DF030 "`ADD config.json`"
ADD ["config.json", "/etc/app/"]
CMD ["node", "server.js"]
