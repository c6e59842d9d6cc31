FROM node:22-alpine AS base
WORKDIR /app
COPY . .

FROM base
# want +1 DF016 "CMD runs the script `scripts/start.sh`"
CMD ["sh", "scripts/start.sh"]
