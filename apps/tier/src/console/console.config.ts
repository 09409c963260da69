import { IsNotEmpty, IsString } from 'class-validator';

export class ConsoleConfig {
  /** The built console (`npm run build` writes it there); relative to the working directory. */
  @IsString()
  @IsNotEmpty({ message: 'CONSOLE_DIR must name the folder of the built console' })
  CONSOLE_DIR = 'dist/console';
}
