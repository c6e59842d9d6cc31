FROM node:22-slim
WORKDIR /app
COPY . .
# want +1 DF014 "runs `npx next start`: npx is the main process"
CMD npx prisma migrate deploy && npx next start
