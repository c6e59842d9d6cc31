import express from "express";
import morgan from "morgan";

const app = express();
app.use(morgan("dev"));
app.get("/healthz", (_req, res) => res.send("ok"));
app.listen(3000, "127.0.0.1");
