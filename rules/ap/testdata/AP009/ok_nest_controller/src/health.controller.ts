@Controller('health')
export class HealthController {
  @Get('live')
  live() { return 'ok' }
}
