FROM node:22-alpine
WORKDIR /app
COPY . .
# Operators need the shell: no fix.
# want +1 DF013 "CMD `npm run migrate && node server.js` is in shell form"
CMD npm run migrate && node server.js
