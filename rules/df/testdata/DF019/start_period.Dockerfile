FROM node:22-slim AS base
# HEALTHCHECK NONE has nothing to time.
HEALTHCHECK NONE

FROM base
WORKDIR /app
COPY . .
USER node
# The flag may sit on a continuation line.
HEALTHCHECK --interval=30s \
    --start-period=20s --start-interval=2s \
    CMD ["node", "healthcheck.js"]
CMD ["node", "server.js"]
