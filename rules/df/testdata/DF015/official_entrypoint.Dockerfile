ARG NODE=22
FROM node:${NODE}-alpine AS base
WORKDIR /app

FROM base
COPY . .
# The image's docker-entrypoint.sh runs a .js file with node (and execs it).
# want +1 DF015 "`node index.js` runs as PID 1"
CMD ["index.js"]
