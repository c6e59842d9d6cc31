FROM node:22-slim AS base
WORKDIR /app
COPY . .
# Inherited into the final stage.
# want +1 DF013 "ENTRYPOINT runs `/bin/bash -c \"node server.js\"`"
ENTRYPOINT ["/bin/bash", "-c", "node server.js"]

FROM base AS final
USER node
