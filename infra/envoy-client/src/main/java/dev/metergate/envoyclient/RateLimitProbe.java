package dev.metergate.envoyclient;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc.RateLimitServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A rate limit client of Envoy's RateLimitService built from the classes Envoy's project generates from its
 * own .proto files, so that what Metergate answers is read exactly as Envoy's protos define it.
 *
 * <p>{@code RateLimitProbe HOST:PORT} calls ShouldRateLimit over plaintext gRPC once per line of standard
 * input, {@code {"metadata": {"authorization": "Bearer ..."}, "request": <RateLimitRequest>}} (the request
 * in proto3 JSON, which rejects a field Envoy's proto does not have), and prints one line per request, in
 * order: {@code {"response": <RateLimitResponse>}} in proto3 JSON with Envoy's field names and every
 * default value, or {@code {"status": {"code": "UNAUTHENTICATED", "description": ...}}} when the call
 * failed, or {@code {"invalidInput": ...}} for a line it could not read.
 */
public final class RateLimitProbe {
  private static final long DEADLINE_SECONDS = 10;

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .includingDefaultValueFields()
          .preservingProtoFieldNames()
          .omittingInsignificantWhitespace();

  private RateLimitProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RateLimitProbe HOST:PORT (requests on stdin, one JSON object a line)");
      System.exit(2);
    }
    ManagedChannel channel = ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build();
    // Autoflush: the caller waits for each answer before it writes the next request.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      RateLimitServiceBlockingStub stub = RateLimitServiceGrpc.newBlockingStub(channel);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) out.println(answer(stub, line));
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static JsonObject answer(RateLimitServiceBlockingStub stub, String line) {
    JsonObject result = new JsonObject();
    RateLimitRequest request;
    Metadata metadata = new Metadata();
    try {
      JsonObject input = JsonParser.parseString(line).getAsJsonObject();
      JsonElement headers = input.get("metadata");
      if (headers != null) {
        for (Map.Entry<String, JsonElement> header : headers.getAsJsonObject().entrySet()) {
          metadata.put(
              Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER),
              header.getValue().getAsString());
        }
      }
      RateLimitRequest.Builder builder = RateLimitRequest.newBuilder();
      JsonFormat.parser().merge(String.valueOf(input.get("request")), builder);
      request = builder.build();
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      result.addProperty("invalidInput", e.getMessage());
      return result;
    }
    try {
      RateLimitResponse response =
          stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .shouldRateLimit(request);
      result.add("response", JsonParser.parseString(PRINTER.print(response)));
    } catch (StatusRuntimeException e) {
      JsonObject status = new JsonObject();
      status.addProperty("code", e.getStatus().getCode().name());
      status.addProperty("description", e.getStatus().getDescription());
      result.add("status", status);
    } catch (InvalidProtocolBufferException e) {
      result.addProperty("invalidResponse", e.getMessage());
    }
    return result;
  }
}
