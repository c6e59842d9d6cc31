FROM node:22-slim
ARG APP_UID=1000
COPY . /app
# The value is not known statically.
USER $APP_UID
CMD ["node", "/app/server.js"]
