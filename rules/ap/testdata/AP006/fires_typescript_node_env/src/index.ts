import type { Request } from 'express'
import express from 'express'
import { z } from 'zod'
import type { ZodError } from 'zod'

const Body = z.object({ name: z.string() })
