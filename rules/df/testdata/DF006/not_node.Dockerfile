# Not a Node stage: a Go build that happens to call make.
FROM golang:1.23
WORKDIR /src
COPY . .
RUN make build && go build ./...
CMD ["/src/app"]
