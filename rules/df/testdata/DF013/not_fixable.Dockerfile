FROM node:22-alpine
WORKDIR /app
COPY . .
# Continuation lines are not converted.
# want +1 DF013 "CMD `node server.js --title \"my app\"` is in shell form"
CMD node server.js \
    --title "my app"
