FROM node:22-alpine
WORKDIR /app
COPY . .
# Converting this ENTRYPOINT would start passing the CMD to it: no fix.
# want +1 DF013 "ENTRYPOINT `node server.js` is in shell form"
ENTRYPOINT node server.js
CMD ["--verbose"]
