import { ValidationArguments, registerDecorator } from 'class-validator';
import { parseRfc3339 } from './rfc3339';
import { TextField, textFault } from './text-field';

/** class-validator's form of textFault, so that a DTO and a hand-written parser check alike. */
export function IsTextField(field: TextField): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTextField',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => textFault(value, field) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${textFault(args.value, field)}`,
      },
    });
}

/** An RFC 3339 date-time with an offset that names a real instant (see parseRfc3339). */
export function IsRfc3339Time(message: (property: string) => string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRfc3339Time',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => parseRfc3339(value) !== undefined,
        defaultMessage: (args: ValidationArguments) => message(args.property),
      },
    });
}
