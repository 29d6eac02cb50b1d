package org.countersign.events.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.countersign.secrets.SealedValue;
import org.countersign.secrets.Secret;

/**
 * Sealed values travel as their text form; a raw {@link Secret} can never be written as JSON, in an
 * event or in a response: trying is a bug, and it fails instead of leaking.
 */
@Singleton
public class SecretsJacksonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("countersign-secrets");
        module.addSerializer(SealedValue.class, new JsonSerializer<>() {
            @Override
            public void serialize(SealedValue value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toText());
            }
        });
        module.addDeserializer(SealedValue.class, new JsonDeserializer<>() {
            @Override
            public SealedValue deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                try {
                    return SealedValue.parse(parser.getValueAsString());
                } catch (SealedValue.RetiredFormatException e) {
                    // Says why and what to do; a sealed value's message never holds its content.
                    throw JsonMappingException.from(parser, e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(parser, "Not a sealed value");
                }
            }
        });
        module.addSerializer(Secret.class, new JsonSerializer<>() {
            @Override
            public void serialize(Secret value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                throw JsonMappingException.from(gen, "A Secret is never serialised; seal it first");
            }
        });
        mapper.registerModule(module);
    }
}
