FROM node:22-alpine
WORKDIR /app
COPY . .
# A shell-form ENTRYPOINT with no CMD: converted to the exec form.
# want +1 DF013 "ENTRYPOINT `node server.js --port 3000` is in shell form.*ignores CMD"
ENTRYPOINT node server.js --port 3000
