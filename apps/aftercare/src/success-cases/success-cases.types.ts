import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { SUCCESS_CASE_FILE_KIND_LABELS, SuccessCaseFileKind, townName } from '@homeward/domain';
import { IsTownCode, Town } from '@homeward/platform';
import { labelled } from '../common/labelled';
import { SuccessCase } from './success-case.entity';
import { SuccessCaseFile } from './success-case-file.entity';
import { SuccessCaseStanding } from './success-cases.service';

registerEnumType(SuccessCaseFileKind, { name: 'SuccessCaseFileKind', description: 'AC-6 成功戒毒典型材料类型', valuesMap: labelled(SUCCESS_CASE_FILE_KIND_LABELS) });

const townOf = (code: string): Town => ({ code, name: townName(code) ?? code });

@ObjectType('SuccessCaseFile', { description: 'AC-6 成功戒毒典型材料（文字材料、图片）' })
export class SuccessCaseFileType {
  @Field(() => ID) id: string;
  @Field(() => ID) successCaseId: string;
  @Field(() => SuccessCaseFileKind) kind: SuccessCaseFileKind;
  @Field() kindLabel: string;
  @Field() title: string;
  @Field() contentType: string;
  @Field(() => Int) sizeBytes: number;
  @Field({ description: 'SHA-256 of the content, hex' }) sha256: string;
  @Field() uploadedBy: string;
  @Field() uploadedAt: Date;
}

@ObjectType('SuccessCaseFileContent', { description: 'AC-6: a file with its content' })
export class SuccessCaseFileContentType {
  @Field(() => SuccessCaseFileType) file: SuccessCaseFileType;
  @Field({ description: 'the file, base64' }) contentBase64: string;
}

@ObjectType('SuccessCase', { description: 'AC-6 成功戒毒典型（服务站年度培树）' })
export class SuccessCaseType {
  @Field(() => ID) id: string;
  @Field(() => Town, { description: 'the service station / 服务站（镇街）' }) town: Town;
  @Field(() => Int) year: number;
  @Field(() => ID, { nullable: true, description: 'the aftercare case it is about' }) caseId: string | null;
  @Field() title: string;
  @Field() summary: string;
  @Field() namedOn: string;
  @Field() namedBy: string;
}

@ObjectType('SuccessCaseStanding', { description: 'AC-6 / K-AC4: a station\'s success cases for a year against what it owes / 典型培树完成情况' })
export class SuccessCaseStandingType {
  @Field(() => Town) town: Town;
  @Field(() => Int) year: number;
  @Field(() => Int, { description: 'subjects in aftercare that year / 本年度照管对象数' }) subjects: number;
  @Field(() => Int, { description: '已培树典型数' }) successCases: number;
  @Field(() => Int, { description: '1, 2 at ≥ 10 subjects, 0 without subjects / 应培树典型数' }) required: number;
  @Field({ description: 'fewer named than required / 数量不足' }) short: boolean;
}

@InputType({ description: 'AC-6: name a success case; `town` may be omitted when `caseId` is given' })
export class NameSuccessCaseInput {
  @Field({ nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() caseId?: string;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(20_000) summary: string;
}

@InputType({ description: 'AC-6: correct a dossier (omitted fields stay)' })
export class UpdateSuccessCaseInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(20_000) summary?: string;
}

@InputType({ description: 'AC-6: file a document or picture in a dossier; content as base64 (at most ARCHIVE_MAX_BYTES decoded, default 10 MB)' })
export class UploadSuccessCaseFileInput {
  @Field(() => ID) @IsUUID() successCaseId: string;
  @Field(() => SuccessCaseFileKind) @IsEnum(SuccessCaseFileKind) kind: SuccessCaseFileKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field() @Matches(/^[a-z]+\/[A-Za-z0-9.+-]+$/, { message: 'contentType must be a media type such as image/jpeg' }) @MaxLength(120) contentType: string;
  @Field() @IsString() @IsNotEmpty() contentBase64: string;
}

@ArgsType()
export class SuccessCasesArgs {
  @Field({ nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
}

@ArgsType()
export class SuccessCaseStandingArgs {
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field({ nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

export function toSuccessCaseType(s: SuccessCase): SuccessCaseType {
  return { id: s.id, town: townOf(s.town), year: s.year, caseId: s.caseId, title: s.title, summary: s.summary, namedOn: s.namedOn, namedBy: s.namedBy };
}

export function toSuccessCaseFileType(f: SuccessCaseFile): SuccessCaseFileType {
  return {
    id: f.id,
    successCaseId: f.successCaseId,
    kind: f.kind,
    kindLabel: SUCCESS_CASE_FILE_KIND_LABELS[f.kind],
    title: f.title,
    contentType: f.contentType,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    uploadedBy: f.uploadedBy,
    uploadedAt: f.uploadedAt,
  };
}

export function toStandingType(s: SuccessCaseStanding): SuccessCaseStandingType {
  return { town: townOf(s.town), year: s.year, subjects: s.subjects, successCases: s.successCases, required: s.required, short: s.successCases < s.required };
}
