# An image that runs the test suite.
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci
CMD ["npm", "test"]
