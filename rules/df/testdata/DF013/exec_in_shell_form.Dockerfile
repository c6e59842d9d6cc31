FROM node:22-slim
WORKDIR /app
COPY . .
# want +1 DF013 "runs through `/bin/sh -c` only to be exec'd"
CMD exec node server.js
