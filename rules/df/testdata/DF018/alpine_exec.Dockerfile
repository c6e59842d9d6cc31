FROM node:22-alpine AS base
WORKDIR /app
# want +1 DF018 "HEALTHCHECK runs `curl` but node:22-alpine has no curl"
HEALTHCHECK --start-period=5s CMD ["curl", "-f", "http://localhost:3000/health"]

# Inherited from stage "base".
FROM base
COPY . .
CMD ["node", "server.js"]
