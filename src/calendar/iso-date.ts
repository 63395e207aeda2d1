import { registerDecorator, ValidationOptions } from 'class-validator';
import { isIsoDate, shanghaiDate } from '../domain/calendar/working-days';

/** Today's calendar date in Asia/Shanghai (the business date of every federation). */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghaiDate(now);
}

/** class-validator: a real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property 须为有效日期 YYYY-MM-DD / $property must be a real date written YYYY-MM-DD`, ...options },
      validator: { validate: (v: unknown) => isIsoDate(v) },
    });
}
