import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();
const port = Number(process.env.PORT ?? 3000);

app.get('/health', async (_req, res) => {
  try {
    await pool.query('select 1');
    res.send('ok');
  } catch {
    res.status(503).send('database unavailable');
  }
});

app.get('/users/:id', async (req, res) => {
  const { rows } = await pool.query('select id, email from users where id = $1', [req.params.id]);
  if (rows.length === 0) {
    res.sendStatus(404);
    return;
  }
  res.json(rows[0]);
});

const server = app.listen(port, () => console.log(`listening on :${port}`));

process.on('SIGTERM', () => {
  server.close(() => pool.end().then(() => process.exit(0)));
});
