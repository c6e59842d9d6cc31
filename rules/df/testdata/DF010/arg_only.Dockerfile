FROM node:22-slim AS runtime
ARG NODE_ENV=production
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
# want +1 DF010 "never sets NODE_ENV=production.*an ARG only exists during the build"
FROM runtime
CMD npm start
